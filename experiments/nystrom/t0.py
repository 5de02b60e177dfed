from common import *
X,y=load(); o=Obj(X,y); T=torch.zeros(10,785,dtype=DT)
t=time.time(); f,G=o.vg(T); print('vg',time.time()-t, f)
t=time.time(); 
for i in range(5): o.hv(G)
print('hv',(time.time()-t)/5)
V=torch.randn(500,785,dtype=DT)
t=time.time(); Z=o.Xt@V.t(); W=Z.t()@o.Xt; print('block 50 dirs (500 cols)',time.time()-t)
print(optimum())
